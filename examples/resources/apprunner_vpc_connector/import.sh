# Import by the ARN of the connector.
terraform import apprunner_vpc_connector.example "arn:aws:apprunner:us-east-1:123456789012:vpcconnector/example/1/0123456789abcdef0123456789abcdef"
