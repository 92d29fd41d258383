# Import by the ARN of the service.
terraform import apprunner_service.example "arn:aws:apprunner:us-east-1:123456789012:service/example/0123456789abcdef0123456789abcdef"
