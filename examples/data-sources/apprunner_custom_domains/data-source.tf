# Every custom domain of a service, with its status and validation records.
data "apprunner_custom_domains" "web" {
  service_arn = "arn:aws:apprunner:us-east-1:123456789012:service/web/0123456789abcdef0123456789abcdef"
}

output "inactive_domains" {
  value = [for d in data.apprunner_custom_domains.web.custom_domains : d.domain_name if d.status != "active"]
}
