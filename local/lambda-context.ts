import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

// No getRemainingTimeInMillis: locally there is no deadline for middy's early-timeout timer to race.
export const localLambdaContext = (functionName: string): Context =>
  ({
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitMB: "1024",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
  }) as unknown as Context;
