import type { CloudTrailRecord } from './records';

const SERVICES: Record<string, string> = {
  'access-analyzer': 'IAM Access Analyzer',
  account: 'AWS Account Management',
  acm: 'AWS Certificate Manager',
  apigateway: 'Amazon API Gateway',
  athena: 'Amazon Athena',
  autoscaling: 'Amazon EC2 Auto Scaling',
  backup: 'AWS Backup',
  ce: 'AWS Cost Explorer',
  cloudformation: 'AWS CloudFormation',
  cloudfront: 'Amazon CloudFront',
  cloudshell: 'AWS CloudShell',
  cloudtrail: 'AWS CloudTrail',
  codebuild: 'AWS CodeBuild',
  'cognito-identity': 'Amazon Cognito Identity',
  'cognito-idp': 'Amazon Cognito User Pools',
  config: 'AWS Config',
  dynamodb: 'Amazon DynamoDB',
  ec2: 'Amazon EC2',
  ecr: 'Amazon ECR',
  ecs: 'Amazon ECS',
  eks: 'Amazon EKS',
  elasticloadbalancing: 'Elastic Load Balancing',
  events: 'Amazon EventBridge',
  glue: 'AWS Glue',
  guardduty: 'Amazon GuardDuty',
  health: 'AWS Health',
  iam: 'AWS IAM',
  identitystore: 'IAM Identity Center identity store',
  kms: 'AWS KMS',
  lambda: 'AWS Lambda',
  logs: 'Amazon CloudWatch Logs',
  monitoring: 'Amazon CloudWatch',
  notifications: 'AWS User Notifications',
  organizations: 'AWS Organizations',
  rds: 'Amazon RDS',
  'resource-explorer-2': 'AWS Resource Explorer',
  route53: 'Amazon Route 53',
  s3: 'Amazon S3',
  secretsmanager: 'AWS Secrets Manager',
  securityhub: 'AWS Security Hub',
  signin: 'AWS Sign-In',
  sns: 'Amazon SNS',
  sqs: 'Amazon SQS',
  ssm: 'AWS Systems Manager',
  sso: 'AWS IAM Identity Center',
  'sso-directory': 'IAM Identity Center directory',
  sts: 'AWS STS',
  support: 'AWS Support',
  tagging: 'AWS Resource Groups Tagging',
  wafv2: 'AWS WAF',
};

/** `ec2.amazonaws.com` → `Amazon EC2`; an unknown source keeps its own prefix. */
export function serviceName(eventSource: string | undefined): string {
  if (!eventSource) {
    return 'unknown service';
  }
  const prefix = eventSource.replace(/\.amazonaws\.com(\.cn)?$/, '');
  return SERVICES[prefix] ?? prefix;
}

const READ_PREFIXES = /^(Describe|List|Get|Head|Lookup|Search|Select|Scan|Query|BatchGet|Check|Verify|Validate|Estimate|Preview|Test)/;

/** From the record's readOnly field when present, otherwise from the action's name. */
export function accessOf(record: Pick<CloudTrailRecord, 'readOnly' | 'eventName'>): { readOnly: boolean; from: 'record' | 'name' } | undefined {
  const flag = record.readOnly;
  if (flag === true || flag === 'true') return { readOnly: true, from: 'record' };
  if (flag === false || flag === 'false') return { readOnly: false, from: 'record' };
  if (typeof record.eventName !== 'string') return undefined;
  return { readOnly: READ_PREFIXES.test(record.eventName), from: 'name' };
}

/** Why an action deserves attention in an investigation. */
export interface SensitiveAction {
  why: string;
  /** `defense evasion` actions switch off logging or detection; `persistence` leaves a way back in… */
  tactic: 'defense evasion' | 'persistence' | 'privilege escalation' | 'credential access' | 'exfiltration' | 'impact' | 'initial access';
}

const SENSITIVE: Record<string, SensitiveAction> = {
  'cloudtrail:StopLogging': { tactic: 'defense evasion', why: 'stops a trail from recording events: activity after it is not logged' },
  'cloudtrail:DeleteTrail': { tactic: 'defense evasion', why: 'deletes a trail and its logging' },
  'cloudtrail:UpdateTrail': { tactic: 'defense evasion', why: 'can redirect logs to another bucket, switch off log file validation, or make the trail single-region' },
  'cloudtrail:PutEventSelectors': { tactic: 'defense evasion', why: 'can exclude management or data events from logging' },
  'cloudtrail:PutInsightSelectors': { tactic: 'defense evasion', why: 'can switch off CloudTrail Insights' },
  'cloudtrail:DeleteEventDataStore': { tactic: 'defense evasion', why: 'deletes a CloudTrail Lake event data store' },
  'guardduty:DeleteDetector': { tactic: 'defense evasion', why: 'switches off GuardDuty threat detection' },
  'guardduty:UpdateDetector': { tactic: 'defense evasion', why: 'can disable GuardDuty or lower how often it reports' },
  'guardduty:DisassociateFromMasterAccount': { tactic: 'defense evasion', why: 'removes the account from central GuardDuty monitoring' },
  'securityhub:DisableSecurityHub': { tactic: 'defense evasion', why: 'switches off Security Hub' },
  'config:StopConfigurationRecorder': { tactic: 'defense evasion', why: 'stops AWS Config from recording configuration changes' },
  'config:DeleteConfigurationRecorder': { tactic: 'defense evasion', why: 'deletes the AWS Config recorder' },
  'config:DeleteDeliveryChannel': { tactic: 'defense evasion', why: 'stops AWS Config from delivering its history' },
  'ec2:DeleteFlowLogs': { tactic: 'defense evasion', why: 'removes VPC flow logs' },
  'logs:DeleteLogGroup': { tactic: 'defense evasion', why: 'deletes a CloudWatch Logs group and its events' },
  'iam:CreateAccessKey': { tactic: 'persistence', why: 'creates a long-term access key, a classic way to keep access' },
  'iam:CreateLoginProfile': { tactic: 'persistence', why: 'gives an IAM user a console password' },
  'iam:UpdateLoginProfile': { tactic: 'persistence', why: 'changes an IAM user’s console password' },
  'iam:CreateUser': { tactic: 'persistence', why: 'creates a new IAM user' },
  'iam:UpdateAssumeRolePolicy': { tactic: 'persistence', why: 'changes who may assume a role (for example an outside account)' },
  'iam:AttachUserPolicy': { tactic: 'privilege escalation', why: 'attaches a managed policy to a user' },
  'iam:PutUserPolicy': { tactic: 'privilege escalation', why: 'writes an inline policy on a user' },
  'iam:AttachRolePolicy': { tactic: 'privilege escalation', why: 'attaches a managed policy to a role' },
  'iam:PutRolePolicy': { tactic: 'privilege escalation', why: 'writes an inline policy on a role' },
  'iam:AttachGroupPolicy': { tactic: 'privilege escalation', why: 'attaches a managed policy to a group' },
  'iam:AddUserToGroup': { tactic: 'privilege escalation', why: 'adds a user to a group and its permissions' },
  'iam:CreatePolicyVersion': { tactic: 'privilege escalation', why: 'can rewrite a managed policy (and make the new version the default)' },
  'iam:DeactivateMFADevice': { tactic: 'defense evasion', why: 'removes an MFA device from a user' },
  'sts:GetFederationToken': { tactic: 'persistence', why: 'mints federated credentials that outlive a deleted access key' },
  'secretsmanager:GetSecretValue': { tactic: 'credential access', why: 'reads a secret’s value' },
  'ssm:GetParameter': { tactic: 'credential access', why: 'can read SecureString parameters (secrets)' },
  'ssm:GetParameters': { tactic: 'credential access', why: 'can read SecureString parameters (secrets)' },
  'ec2:GetPasswordData': { tactic: 'credential access', why: 'reads a Windows instance’s encrypted administrator password' },
  'kms:ScheduleKeyDeletion': { tactic: 'impact', why: 'schedules a KMS key for deletion: data encrypted with it becomes unreadable' },
  'kms:DisableKey': { tactic: 'impact', why: 'disables a KMS key' },
  's3:PutBucketPolicy': { tactic: 'exfiltration', why: 'can open a bucket to other accounts or the public' },
  's3:PutBucketAcl': { tactic: 'exfiltration', why: 'can grant access to a bucket through its ACL' },
  's3:DeleteBucketPolicy': { tactic: 'defense evasion', why: 'removes a bucket policy (for example one that denies deletes)' },
  's3:PutBucketPublicAccessBlock': { tactic: 'exfiltration', why: 'can lift the block on public access' },
  's3:DeletePublicAccessBlock': { tactic: 'exfiltration', why: 'removes the block on public access' },
  's3:PutBucketLifecycle': { tactic: 'impact', why: 'can expire (delete) objects such as logs early' },
  's3:PutBucketVersioning': { tactic: 'impact', why: 'can suspend versioning, so deletes become final' },
  's3:DeleteBucket': { tactic: 'impact', why: 'deletes a bucket' },
  'ec2:AuthorizeSecurityGroupIngress': { tactic: 'initial access', why: 'opens a security group to inbound traffic' },
  'ec2:ModifyInstanceAttribute': { tactic: 'persistence', why: 'can change an instance’s user data or role' },
  'ec2:ModifySnapshotAttribute': { tactic: 'exfiltration', why: 'can share an EBS snapshot with another account' },
  'rds:ModifyDBSnapshotAttribute': { tactic: 'exfiltration', why: 'can share a database snapshot with another account' },
  'organizations:LeaveOrganization': { tactic: 'defense evasion', why: 'takes the account out of its organization and its guardrails' },
  'lambda:AddPermission': { tactic: 'persistence', why: 'lets another principal invoke a function' },
  'lambda:UpdateFunctionCode': { tactic: 'persistence', why: 'replaces a function’s code' },
};

export function sensitiveAction(eventSource: string | undefined, eventName: string | undefined): SensitiveAction | undefined {
  if (!eventSource || !eventName) {
    return undefined;
  }
  const service = eventSource.replace(/\.amazonaws\.com(\.cn)?$/, '');
  // S3 and some others report versioned names such as PutBucketPolicy20060301 in older events.
  return SENSITIVE[`${service}:${eventName}`] ?? SENSITIVE[`${service}:${eventName.replace(/\d{8}$/, '')}`];
}

