# The hosted zone of App Runner's service domains in the provider's region,
# for an alias record pointing a custom domain at a service.
data "apprunner_hosted_zone_id" "main" {}

# Or in another region.
data "apprunner_hosted_zone_id" "ireland" {
  region = "eu-west-1"
}

output "hosted_zone_id" {
  value = data.apprunner_hosted_zone_id.main.id
}
