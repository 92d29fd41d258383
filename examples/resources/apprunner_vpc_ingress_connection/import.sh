# Import by the ARN of the VPC ingress connection.
terraform import apprunner_vpc_ingress_connection.example "arn:aws:apprunner:us-east-1:123456789012:vpcingressconnection/example/0123456789abcdef0123456789abcdef"
