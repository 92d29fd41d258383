resource "apprunner_service" "example" {
  service_name = "example"

  source_configuration {
    # App Runner cannot watch a public image for new pushes.
    auto_deployments_enabled = false

    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"

      image_configuration {
        port          = "8000"
        start_command = "python3 app.py"

        runtime_environment_variables = {
          LOG_LEVEL = "info"
        }
      }
    }
  }

  instance_configuration {
    cpu    = "1 vCPU"
    memory = "4 GB"
  }

  health_check_configuration {
    protocol = "HTTP"
    path     = "/health"
  }

  tags = {
    Name = "example-apprunner-service"
  }

  timeouts {
    create = "30m"
  }
}
