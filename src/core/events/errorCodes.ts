/** What a CloudTrail errorCode means, in one or two sentences an investigator can act on. */
const EXPLANATIONS: [RegExp, string][] = [
  [/^(AccessDenied|AccessDeniedException|Client\.UnauthorizedOperation|UnauthorizedOperation|UnauthorizedAccess|AuthorizationError)$/, 'The caller was authenticated but no policy allowed the action (or one denied it): an IAM policy, a resource policy, a permissions boundary, a session policy or an SCP. Repeated denials across many actions can mean someone is probing what stolen credentials may do.'],
  [/^(Client\.DryRunOperation|DryRunOperation)$/, 'A dry run that would have succeeded: the caller checked that it has the permission without doing the action.'],
  [/^(ThrottlingException|Throttling|RequestLimitExceeded|TooManyRequestsException|SlowDown|Client\.RequestLimitExceeded)$/, 'The call was throttled: the caller exceeded the API’s request rate. Bursts of these can mean automated enumeration.'],
  [/^(InvalidClientTokenId|Client\.InvalidClientTokenId)$/, 'The access key id does not exist (or was deleted, or belongs to another partition): someone used a key AWS does not know.'],
  [/^(ExpiredToken|ExpiredTokenException|Client\.ExpiredToken|RequestExpired)$/, 'The temporary credentials or the signed request had expired.'],
  [/^(SignatureDoesNotMatch|IncompleteSignature|Client\.AuthFailure|AuthFailure)$/, 'The request signature did not verify: a wrong secret key for that access key id, or a bad clock.'],
  [/^(InvalidAccessKeyId)$/, 'S3 does not know the access key id.'],
  [/^(NoSuchEntity|NoSuchEntityException)$/, 'IAM found no such user, role, policy or key: it does not exist (any more).'],
  [/^(NoSuchBucket|NoSuchKey|ResourceNotFoundException|NotFoundException|TrailNotFoundException|.*NotFound(Exception)?|Client\.Invalid.*\.NotFound)$/, 'The resource named in the request does not exist.'],
  [/^(EntityAlreadyExists|.*AlreadyExists(Exception)?|BucketAlreadyOwnedByYou)$/, 'The resource already exists.'],
  [/^(ValidationException|ValidationError|InvalidParameterValue|InvalidParameter|InvalidParameterException|InvalidInput|MalformedPolicyDocument|MissingParameter|Client\.Invalid.*)$/, 'The request was malformed or a parameter value was not valid.'],
  [/^(LimitExceeded|LimitExceededException|ServiceQuotaExceededException|.*LimitExceeded)$/, 'A service quota would have been exceeded.'],
  [/^(ServiceUnavailable|ServiceUnavailableException|InternalError|InternalFailure|InternalServerError|Server\..*)$/, 'A failure on the AWS side; the caller may have retried.'],
  [/^(OptInRequired|Client\.OptInRequired)$/, 'The account is not subscribed to the service or the region is not enabled.'],
  [/^(InvalidIdentityToken|IDPRejectedClaim|ExpiredTokenException)$/, 'The web identity or SAML token was rejected.'],
  [/^(Failed authentication|Failed)$/, 'A sign-in attempt failed (wrong password or MFA code, or a user that does not exist).'],
];

export function explainErrorCode(code: string): string {
  for (const [pattern, text] of EXPLANATIONS) {
    if (pattern.test(code)) {
      return text;
    }
  }
  if (code.startsWith('Client.')) {
    return 'The request failed because of the caller (a client error).';
  }
  return 'The call failed; the errorMessage, when present, says why.';
}

