//! Configuration the tests share.

use super::IMAGE;

/// `resource "apprunner_service" "LABEL"` named `name`, serving the public
/// sample image with automatic deployments off. `image_configuration` holds
/// the arguments of an `image_configuration` block (none when empty);
/// `extra` goes inside the resource block, after `source_configuration`.
pub fn image_service(label: &str, name: &str, image_configuration: &str, extra: &str) -> String {
    let image_configuration = if image_configuration.is_empty() {
        String::new()
    } else {
        format!("      image_configuration {{\n{image_configuration}\n      }}\n")
    };
    format!(
        r#"
resource "apprunner_service" "{label}" {{
  service_name = "{name}"
  source_configuration {{
    auto_deployments_enabled = false
    image_repository {{
      image_identifier      = "{IMAGE}"
      image_repository_type = "ECR_PUBLIC"
{image_configuration}    }}
  }}
{extra}
}}
"#
    )
}
