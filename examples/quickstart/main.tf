# A first App Runner configuration, applied against the local control plane
# that `scripts/quickstart` starts (no AWS account needed). Against real AWS,
# drop the `endpoints` block and use your usual credentials.

terraform {
  required_providers {
    apprunner = {
      source = "registry.terraform.io/apprunner-community/apprunner"
    }
  }
}

variable "apprunner_endpoint" {
  description = "App Runner endpoint URL; empty for the real AWS endpoint."
  type        = string
  default     = ""
}

provider "apprunner" {
  region = "us-east-1"

  endpoints {
    apprunner = var.apprunner_endpoint
  }

  default_tags {
    tags = {
      managed_by = "terraform"
    }
  }
}

resource "apprunner_auto_scaling_configuration_version" "web" {
  auto_scaling_configuration_name = "quickstart-web"
  max_concurrency                 = 80
  min_size                        = 1
  max_size                        = 5

  tags = {
    app = "quickstart"
  }
}

output "auto_scaling_configuration_arn" {
  value = apprunner_auto_scaling_configuration_version.web.arn
}

output "revision" {
  value = apprunner_auto_scaling_configuration_version.web.auto_scaling_configuration_revision
}
