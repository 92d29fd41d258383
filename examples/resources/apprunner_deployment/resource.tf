resource "apprunner_service" "example" {
  service_name = "example"

  source_configuration {
    auto_deployments_enabled = false

    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"
    }
  }
}

# Deploys the service again whenever a trigger changes: after a secret is
# rotated, or when a new image is pushed under the same tag.
resource "apprunner_deployment" "example" {
  service_arn = apprunner_service.example.arn

  triggers = {
    release = "2024-06-01"
  }

  timeouts {
    create = "30m"
  }
}
