data "apprunner_service" "example" {
  service_name = "example"
}

output "url" {
  value = "https://${data.apprunner_service.example.service_url}"
}

output "image" {
  value = data.apprunner_service.example.source_configuration[0].image_repository[0].image_identifier
}
