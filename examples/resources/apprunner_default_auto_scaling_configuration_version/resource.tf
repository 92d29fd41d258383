resource "apprunner_auto_scaling_configuration_version" "example" {
  auto_scaling_configuration_name = "example"

  max_concurrency = 50
  max_size        = 10
  min_size        = 2
}

# New services of this region that name no auto scaling configuration get
# this one. It follows the configuration's new revisions in the same apply.
resource "apprunner_default_auto_scaling_configuration_version" "example" {
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.example.arn
}
