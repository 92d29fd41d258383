# A service reachable only from a VPC: outgoing traffic leaves through a VPC
# connector, incoming traffic arrives through a VPC ingress connection
# (private endpoint), optionally under a custom domain.

resource "apprunner_vpc_connector" "this" {
  vpc_connector_name = "${var.name}-egress"
  subnets            = var.subnet_ids
  security_groups    = var.security_group_ids
  tags               = var.tags
}

resource "apprunner_service" "this" {
  service_name = var.name

  source_configuration {
    auto_deployments_enabled = false

    dynamic "authentication_configuration" {
      for_each = var.access_role_arn == null ? [] : [var.access_role_arn]
      content {
        access_role_arn = authentication_configuration.value
      }
    }

    image_repository {
      image_identifier      = var.image
      image_repository_type = var.image_repository_type
      image_configuration {
        port = var.port
      }
    }
  }

  network_configuration {
    egress_configuration {
      egress_type       = "VPC"
      vpc_connector_arn = apprunner_vpc_connector.this.arn
    }
    ingress_configuration {
      is_publicly_accessible = false
    }
  }

  tags = var.tags
}

resource "apprunner_vpc_ingress_connection" "this" {
  name        = "${var.name}-ingress"
  service_arn = apprunner_service.this.arn

  ingress_vpc_configuration {
    vpc_id          = var.vpc_id
    vpc_endpoint_id = var.vpc_endpoint_id
  }

  tags = var.tags
}

resource "apprunner_custom_domain_association" "this" {
  count = var.domain_name == null ? 0 : 1

  domain_name          = var.domain_name
  service_arn          = apprunner_service.this.arn
  enable_www_subdomain = var.enable_www_subdomain
  wait_for_status      = var.wait_for_domain_status

  # The association needs the service's private endpoint in place.
  depends_on = [apprunner_vpc_ingress_connection.this]
}
