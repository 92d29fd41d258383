# After the first apply, complete the handshake with GitHub in the App Runner
# console (Terraform warns until someone does). Services can use the
# connection only then.
resource "apprunner_connection" "example" {
  connection_name = "example"
  provider_type   = "GITHUB"

  tags = {
    Name = "example-apprunner-connection"
  }
}

output "connection_status" {
  value = apprunner_connection.example.status
}
