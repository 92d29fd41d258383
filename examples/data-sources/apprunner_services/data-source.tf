data "apprunner_services" "example" {
  name_prefix = "example"
}

output "service_urls" {
  value = { for s in data.apprunner_services.example.services : s.service_name => s.service_url }
}
