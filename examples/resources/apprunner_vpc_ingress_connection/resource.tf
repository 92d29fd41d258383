# A service reachable only from a VPC, through an interface VPC endpoint for
# com.amazonaws.REGION.apprunner.requests.
resource "apprunner_service" "example" {
  service_name = "example-private"

  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"
    }
  }

  network_configuration {
    ingress_configuration {
      is_publicly_accessible = false
    }
  }
}

resource "apprunner_vpc_ingress_connection" "example" {
  name        = "example"
  service_arn = apprunner_service.example.arn

  # Changing these updates the connection in place.
  ingress_vpc_configuration {
    vpc_id          = "vpc-0123456789abcdef0"
    vpc_endpoint_id = "vpce-0123456789abcdef0"
  }

  tags = {
    foo = "bar"
  }
}

output "private_domain_name" {
  value = apprunner_vpc_ingress_connection.example.domain_name
}
