# The private endpoint of a service (a service has at most one); `arn` or
# `name` work too.
data "apprunner_vpc_ingress_connection" "orders" {
  service_arn = "arn:aws:apprunner:us-east-1:123456789012:service/orders/0123456789abcdef0123456789abcdef"
}

output "orders_private_domain_name" {
  value = data.apprunner_vpc_ingress_connection.orders.domain_name
}
