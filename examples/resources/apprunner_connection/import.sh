# Import by the name of the connection.
terraform import apprunner_connection.example example
