output "service_arn" {
  description = "ARN of the service."
  value       = apprunner_service.this.arn
}

output "service_id" {
  description = "ID App Runner gave the service."
  value       = apprunner_service.this.service_id
}

output "vpc_connector_arn" {
  description = "ARN of the VPC connector the service's outgoing traffic uses."
  value       = apprunner_vpc_connector.this.arn
}

output "vpc_ingress_connection_arn" {
  description = "ARN of the VPC ingress connection."
  value       = apprunner_vpc_ingress_connection.this.arn
}

output "private_domain_name" {
  description = "Domain name that reaches the service from the VPC (through the VPC endpoint)."
  value       = apprunner_vpc_ingress_connection.this.domain_name
}

output "custom_domain_dns_target" {
  description = "Where to point the custom domain (CNAME), or null without one."
  value       = one(apprunner_custom_domain_association.this[*].dns_target)
}

output "validation_records" {
  description = "Certificate validation record of each name the custom domain covers, keyed by that name (known keys at plan time: usable in for_each). Empty without a custom domain."
  # A conditional, not try(): try() of a partly unknown value is wholly
  # unknown, which would hide the keys from for_each.
  value = var.domain_name == null ? {} : apprunner_custom_domain_association.this[0].certificate_validation_records_by_domain
}
