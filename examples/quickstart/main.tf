# A first App Runner configuration: a web service from a public container
# image, with its own auto scaling and tracing configurations. Applied by
# `scripts/quickstart` against the local control plane it starts, so no AWS
# account is needed. Against real AWS, leave `apprunner_endpoint` empty.

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

# Changing these settings later creates a new revision in place; the
# service below follows it in the same apply.
resource "apprunner_auto_scaling_configuration_version" "web" {
  auto_scaling_configuration_name = "quickstart-web"
  max_concurrency                 = 80
  min_size                        = 1
  max_size                        = 5
}

resource "apprunner_observability_configuration" "web" {
  observability_configuration_name = "quickstart-web"

  trace_configuration {
    vendor = "AWSXRAY"
  }
}

resource "apprunner_service" "web" {
  service_name                   = "quickstart-web"
  auto_scaling_configuration_arn = apprunner_auto_scaling_configuration_version.web.arn

  source_configuration {
    auto_deployments_enabled = false

    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"

      image_configuration {
        port = "8000"
        runtime_environment_variables = {
          GREETING = "hello from the quickstart"
        }
      }
    }
  }

  instance_configuration {
    cpu    = "0.25 vCPU"
    memory = "0.5 GB"
  }

  health_check_configuration {
    protocol = "HTTP"
    path     = "/"
  }

  observability_configuration {
    observability_enabled           = true
    observability_configuration_arn = apprunner_observability_configuration.web.arn
  }

  tags = {
    app = "quickstart"
  }

  timeouts {
    create = "10m"
  }
}

output "service_url" {
  value = apprunner_service.web.service_url
}

output "service_status" {
  value = apprunner_service.web.status
}

output "auto_scaling_configuration_revision" {
  value = apprunner_auto_scaling_configuration_version.web.auto_scaling_configuration_revision
}
