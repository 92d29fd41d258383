variable "name" {
  description = "Name of the service; the VPC connector and the ingress connection are named after it."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$", var.name))
    error_message = "name must be 4 to 32 letters, digits, hyphens or underscores, starting with a letter or digit."
  }
}

variable "image" {
  description = "Container image of the service (ECR Public, or ECR with access_role_arn)."
  type        = string
  default     = "public.ecr.aws/aws-containers/hello-app-runner:latest"
}

variable "image_repository_type" {
  description = "ECR_PUBLIC or ECR."
  type        = string
  default     = "ECR_PUBLIC"
}

variable "access_role_arn" {
  description = "IAM role App Runner uses to pull a private ECR image."
  type        = string
  default     = null
}

variable "port" {
  description = "Port the container listens on."
  type        = string
  default     = "8080"
}

variable "subnet_ids" {
  description = "Subnets (of one VPC) for the service's outgoing traffic."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups for the service's outgoing traffic. Null uses the VPC's default security group."
  type        = list(string)
  default     = null
}

variable "vpc_id" {
  description = "VPC the service is reachable from."
  type        = string
}

variable "vpc_endpoint_id" {
  description = "Interface VPC endpoint for App Runner requests (com.amazonaws.REGION.apprunner.requests) in that VPC."
  type        = string
}

variable "domain_name" {
  description = "Custom domain for the service, e.g. app.example.com. Null for none."
  type        = string
  default     = null
}

variable "enable_www_subdomain" {
  description = "Also associate www.<domain_name>."
  type        = bool
  default     = false
}

variable "wait_for_domain_status" {
  description = "Wait until the custom domain reaches this status (e.g. \"active\"); null waits only for its validation records."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource of the module."
  type        = map(string)
  default     = {}
}
