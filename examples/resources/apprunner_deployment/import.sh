# Import by the service ARN and the deployment's operation ID, separated by a comma.
terraform import apprunner_deployment.example "arn:aws:apprunner:us-east-1:123456789012:service/example/0123456789abcdef0123456789abcdef,6f2b0c1e-4c5d-4e8f-9a0b-1c2d3e4f5a6b"
