# Outgoing traffic of the services that use this connector leaves through
# these subnets and security groups. Changing any of them replaces it.
resource "apprunner_vpc_connector" "example" {
  vpc_connector_name = "example"
  subnets            = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]
  security_groups    = ["sg-0123456789abcdef0"]

  tags = {
    Name = "example-apprunner-vpc-connector"
  }
}

resource "apprunner_service" "example" {
  service_name = "example-with-vpc-egress"

  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"
    }
  }

  network_configuration {
    egress_configuration {
      egress_type       = "VPC"
      vpc_connector_arn = apprunner_vpc_connector.example.arn
    }
  }
}
