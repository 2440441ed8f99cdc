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
        Sid    = "InvokeThroughInferenceProfiles"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/aaa1234",
        ]
      },
      {
        Sid    = "InvokeModelsInProfileRegions"
        Effect = "Allow"
        Action = [
          "bedrock:InvokeModel",
          "bedrock:InvokeModelWithResponseStream",
        ]
        Resource = [
          "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
          "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
          "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0",
        ]
        Condition = {
          StringEquals = {
            "bedrock:InferenceProfileArn" = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/aaa1234"
          }
        }
      },
    ]
  })
}
