# The newest active revision of a configuration.
data "apprunner_auto_scaling_configuration" "web" {
  name = "web-app"
}

# One revision of it.
data "apprunner_auto_scaling_configuration" "web_v2" {
  name     = "web-app"
  revision = 2
}

# App Runner's own default configuration of the region.
data "apprunner_auto_scaling_configuration" "app_runner_default" {
  name = "DefaultConfiguration"
}

output "web_max_size" {
  value = data.apprunner_auto_scaling_configuration.web.max_size
}
