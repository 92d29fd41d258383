# A connection whose handshake was completed in the console.
data "apprunner_connection" "github" {
  connection_name = "github"
}

output "github_connection_usable" {
  value = data.apprunner_connection.github.status == "AVAILABLE"
}
