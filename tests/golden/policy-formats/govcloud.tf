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
        Sid    = "InvokeOnDemandModels"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/amazon.nova-micro-v1:0",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = [
              "us-gov-east-1",
              "us-gov-west-1",
            ]
          }
        }
      },
      {
        Sid    = "InvokeThroughInferenceProfiles"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws-us-gov:bedrock:us-gov-west-1:${data.aws_caller_identity.current.account_id}:inference-profile/us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = [
              "us-gov-east-1",
              "us-gov-west-1",
            ]
          }
        }
      },
      {
        Sid    = "InvokeModelsInProfileRegions"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws-us-gov:bedrock:us-gov-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
          "arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = [
              "us-gov-east-1",
              "us-gov-west-1",
            ]
            "bedrock:InferenceProfileArn" = "arn:aws-us-gov:bedrock:us-gov-west-1:${data.aws_caller_identity.current.account_id}:inference-profile/us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"
          }
        }
      },
      {
        Sid    = "DiscoverModels"
        Effect = "Allow"
        Action = [
          "bedrock:GetFoundationModelAvailability",
          "bedrock:GetUseCaseForModelAccess",
          "bedrock:ListFoundationModelAgreementOffers",
          "bedrock:ListFoundationModels",
          "bedrock:ListInferenceProfiles",
        ]
        Resource = "*"
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = "us-gov-west-1"
          }
        }
      },
      {
        Sid    = "DescribeFoundationModels"
        Effect = "Allow"
        Action = [
          "bedrock:GetFoundationModel",
        ]
        Resource = [
          "arn:aws-us-gov:bedrock:*::foundation-model/*",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = "us-gov-west-1"
          }
        }
      },
      {
        Sid    = "DescribeInferenceProfiles"
        Effect = "Allow"
        Action = [
          "bedrock:GetInferenceProfile",
        ]
        Resource = [
          "arn:aws-us-gov:bedrock:*:${data.aws_caller_identity.current.account_id}:application-inference-profile/*",
          "arn:aws-us-gov:bedrock:*:${data.aws_caller_identity.current.account_id}:inference-profile/*",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = "us-gov-west-1"
          }
        }
      },
    ]
  })
}
