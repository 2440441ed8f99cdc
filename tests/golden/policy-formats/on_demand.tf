# Terraform written by bedrock-setup: one IAM managed policy for
# calling the chosen Amazon Bedrock models.  The policy is HCL
# inside jsonencode(), so Terraform checks its syntax at plan time
# and plans show no white-space changes.  Attach it with
# aws_iam_role_policy_attachment (policy_arn = aws_iam_policy.bedrock_setup.arn).

resource "aws_iam_policy" "bedrock_setup" {
  name        = "BedrockSetupPolicy"
  description = "Least-privilege access to Amazon Bedrock models (bedrock-setup)"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "InvokeOnDemandModels"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
        ]
      },
    ]
  })
}
