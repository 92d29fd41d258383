resource "apprunner_observability_configuration" "example" {
  observability_configuration_name = "example"

  trace_configuration {
    vendor = "AWSXRAY"
  }

  tags = {
    Name = "example-apprunner-observability-configuration"
  }
}
