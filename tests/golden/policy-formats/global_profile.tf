# Terraform written by bedrock-setup: one IAM managed policy for
# calling the chosen Amazon Bedrock models.  The policy is HCL
# inside jsonencode(), so Terraform checks its syntax at plan time
# and plans show no white-space changes.  Attach it with
# aws_iam_role_policy_attachment (policy_arn = aws_iam_policy.bedrock_setup.arn).

# ARNs of your own resources use the account Terraform runs in.
data "aws_caller_identity" "current" {}

resource "aws_iam_policy" "bedrock_setup" {
  name        = "BedrockSetupPolicy"
  description = "Least-privilege access to Amazon Bedrock models (bedrock-setup)"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "InvokeThroughGlobalProfiles"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws:bedrock:us-east-1:${data.aws_caller_identity.current.account_id}:inference-profile/global.anthropic.claude-sonnet-4-6",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = "us-east-1"
          }
        }
      },
      {
        Sid    = "InvokeGlobalProfileModelsInSourceRegion"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-6",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion"         = "us-east-1"
            "bedrock:InferenceProfileArn" = "arn:aws:bedrock:us-east-1:${data.aws_caller_identity.current.account_id}:inference-profile/global.anthropic.claude-sonnet-4-6"
          }
        }
      },
      {
        Sid    = "InvokeGlobalProfileModels"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion"         = "unspecified"
            "bedrock:InferenceProfileArn" = "arn:aws:bedrock:us-east-1:${data.aws_caller_identity.current.account_id}:inference-profile/global.anthropic.claude-sonnet-4-6"
          }
        }
      },
    ]
  })
}
