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
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = [
              "unspecified",
              "us-east-1",
              "us-east-2",
              "us-west-2",
            ]
          }
        }
      },
      {
        Sid    = "InvokeProvisionedModels"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws:bedrock:us-east-1:111122223333:provisioned-model/abcdefgh1234",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = [
              "unspecified",
              "us-east-1",
              "us-east-2",
              "us-west-2",
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
          "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/aaa1234",
          "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
          "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = [
              "unspecified",
              "us-east-1",
              "us-east-2",
              "us-west-2",
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
          "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
          "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
          "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
          "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
          "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
          "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = [
              "unspecified",
              "us-east-1",
              "us-east-2",
              "us-west-2",
            ]
            "bedrock:InferenceProfileArn" = [
              "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/aaa1234",
              "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0",
              "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            ]
          }
        }
      },
      {
        Sid    = "InvokeThroughGlobalProfiles"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-sonnet-4-6",
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
            "bedrock:InferenceProfileArn" = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-sonnet-4-6"
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
            "bedrock:InferenceProfileArn" = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-sonnet-4-6"
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
            "aws:RequestedRegion" = "us-east-1"
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
          "arn:aws:bedrock:*::foundation-model/*",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = "us-east-1"
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
          "arn:aws:bedrock:*:111122223333:application-inference-profile/*",
          "arn:aws:bedrock:*:111122223333:inference-profile/*",
        ]
        Condition = {
          StringEquals = {
            "aws:RequestedRegion" = "us-east-1"
          }
        }
      },
    ]
  })
}
