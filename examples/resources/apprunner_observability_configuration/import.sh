# Import by the ARN of the revision.
terraform import apprunner_observability_configuration.example "arn:aws:apprunner:us-east-1:123456789012:observabilityconfiguration/example/1/0123456789abcdef0123456789abcdef"
