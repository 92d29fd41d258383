# Import by the domain name and the service ARN, separated by a comma.
terraform import apprunner_custom_domain_association.example "example.com,arn:aws:apprunner:us-east-1:123456789012:service/example-with-domain/0123456789abcdef0123456789abcdef"
