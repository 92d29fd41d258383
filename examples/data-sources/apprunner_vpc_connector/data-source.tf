# The newest active revision of a connector, by name.
data "apprunner_vpc_connector" "shared" {
  vpc_connector_name = "shared-egress"
}

output "shared_connector_arn" {
  value = data.apprunner_vpc_connector.shared.arn
}
