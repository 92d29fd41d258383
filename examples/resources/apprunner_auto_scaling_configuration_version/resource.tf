# Changing max_concurrency, max_size or min_size later is an in-place update:
# a new revision of "example" is made, the service below moves to it in the
# same apply, and the superseded revision is deleted in that apply once the
# service has left it.
resource "apprunner_auto_scaling_configuration_version" "example" {
  auto_scaling_configuration_name = "example"

  max_concurrency = 50
  max_size        = 10
  min_size        = 2

  tags = {
    Name = "example-apprunner-autoscaling"
  }
}

resource "apprunner_service" "example" {
  service_name                   = "example"
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.example.arn

  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"
    }
  }
}
