resource "apprunner_service" "example" {
  service_name = "example-with-domain"

  source_configuration {
    auto_deployments_enabled = false
    image_repository {
      image_identifier      = "public.ecr.aws/aws-containers/hello-app-runner:latest"
      image_repository_type = "ECR_PUBLIC"
    }
  }
}

resource "apprunner_custom_domain_association" "example" {
  domain_name = "example.com"
  service_arn = apprunner_service.example.arn
  # enable_www_subdomain defaults to true: www.example.com is associated too.
}

# One validation record per name the certificate covers, keyed by that name.
# The keys are known when planning, so a DNS record resource can use this map
# in for_each in the same apply (see the documentation for aws_route53_record).
resource "terraform_data" "validation_record" {
  for_each = apprunner_custom_domain_association.example.certificate_validation_records_by_domain

  input = "${each.value.name} ${each.value.type} ${each.value.value}"
}

output "dns_target" {
  value = apprunner_custom_domain_association.example.dns_target
}
