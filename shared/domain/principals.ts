/**
 * Who may use the editors' API when deployed: the IAM principals ops list at deploy time. API
 * Gateway's IAM authorizer has verified the caller's signature; this decides whether that caller
 * is one of ours, because any principal with execute-api:Invoke could otherwise publish (and a
 * publication mails every subscriber).
 */
export const PRINCIPAL_PATTERN = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:(user|role|assumed-role)\/[\w+=,.@/-]+$/;

/**
 * Whether the caller (as API Gateway reports it: a user ARN, or an STS assumed-role session ARN)
 * is on the list. A listed role admits every session of it; a listed user admits that user only.
 */
export const isListedPrincipal = (callerArn: string, allowed: readonly string[]): boolean => {
  if (allowed.includes(callerArn)) return true;
  const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[^/]+$/.exec(callerArn);
  if (!session) return false;
  const [, partition, account, role] = session;
  // A role with a path (role/team/Editor) is listed by its full ARN; sessions name only its last part.
  return allowed.some((entry) => {
    const listed = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(entry);
    return listed !== null && listed[1] === partition && listed[2] === account && listed[3] === role;
  });
};
