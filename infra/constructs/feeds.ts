import { Duration, Validations } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import type { ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { LANGUAGE_TAG_SOURCE } from "../../shared/domain/event";
import { ORIGIN_SECRET_HEADER, VIEWER_ADDRESS_HEADER } from "../../shared/http/origin";
import { PAGE_CONTENT_SECURITY_POLICY } from "../../shared/render/pages/page-shell";

/**
 * The directory index (the local front does the same: local/static-paths.ts): a folder such as
 * `/`, `/ka/` or `/ka/series/x/` is served from its index.html. Event pages are objects without an
 * extension, so nothing else is rewritten. Under a folder named like a language, a folder typed
 * without its slash (`/ka`, `/ka/subscribe`) is redirected to it, and an event page typed with one
 * (`/ka/events/x/`) to the page; the query string goes along.
 */
export const DIRECTORY_INDEX_FUNCTION = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (/^[/]${LANGUAGE_TAG_SOURCE}[/]events[/][^/]+[/]$/.test(uri)) {
    return redirect(uri.slice(0, -1), request.querystring);
  }
  if (uri.endsWith("/")) {
    request.uri += "index.html";
    return request;
  }
  var last = uri.slice(uri.lastIndexOf("/") + 1);
  var inLanguageFolder = /^[/]${LANGUAGE_TAG_SOURCE}([/]|$)/.test(uri);
  if (inLanguageFolder && last.indexOf(".") === -1 && !/^[/][^/]+[/]events[/]/.test(uri)) {
    return redirect(uri + "/", request.querystring);
  }
  return request;
}
function redirect(location, querystring) {
  var pairs = [];
  for (var name in querystring) {
    var values = querystring[name].multiValue || [querystring[name]];
    for (var i = 0; i < values.length; i++) {
      pairs.push(encodeURIComponent(name) + (values[i].value === "" ? "" : "=" + encodeURIComponent(values[i].value)));
    }
  }
  return {
    statusCode: 301,
    statusDescription: "Moved Permanently",
    headers: { location: { value: pairs.length > 0 ? location + "?" + pairs.join("&") : location } },
  };
}`;

/** The page every missing path answers with (S3 says 403 to CloudFront for a key that is not there). */
export const NOT_FOUND_PAGE = "/404.html";

export interface FeedsProps {
  readonly feedBucket: IBucket;
  /** Host name of the HTTP API that answers /api/*. */
  readonly apiDomainName: string;
  /** Added to every request passed to the API, which answers nothing without it (shared/http/origin.ts). */
  readonly originSecret: ISecret;
}

/** The public front door: the static site and feeds from the private bucket, and /api/* passed to the HTTP API. */
export class Feeds extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: FeedsProps) {
    super(scope, id);

    // Feeds and pages are rewritten on change and carry their own Cache-Control (feeds max-age=60,
    // pages s-maxage=60 and revalidated by browsers every time, robots and sitemap an hour, finished
    // feed archives a day); CloudFront honours it within these bounds.
    const feedCachePolicy = new CachePolicy(this, "FeedCachePolicy", {
      comment: "eventcast feeds and pages: short TTL, revalidated by ETag",
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(60),
      maxTtl: Duration.days(1),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Transport security on every answer, feeds and API alike.
    const transportSecurity = {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
    };
    const feedHeaders = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "eventcast: security headers on the pages, CORS on the feeds",
      // Feeds are public data: any site may fetch feed.json from the browser.
      corsBehavior: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: ["*"],
        accessControlAllowMethods: ["GET", "HEAD"],
        accessControlAllowOrigins: ["*"],
        originOverride: true,
      },
      securityHeadersBehavior: {
        ...transportSecurity,
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        // Pages load nothing but their own inline style and script and post forms to this origin;
        // feeds are data, which the same policy keeps from loading anything either.
        contentSecurityPolicy: {
          contentSecurityPolicy: PAGE_CONTENT_SECURITY_POLICY,
          override: true,
        },
      },
    });

    // The API sets its own Content-Security-Policy and Referrer-Policy (its pages post forms and
    // carry tokens in their URLs), so CloudFront adds transport headers without overriding those.
    const apiHeaders = new ResponseHeadersPolicy(this, "ApiSecurityHeaders", {
      comment: "eventcast: transport security headers on API answers",
      securityHeadersBehavior: transportSecurity,
    });

    // What reaches the API: the body's type, the query string, and the viewer's address as CloudFront
    // saw it; never the viewer's Host (API Gateway routes by its own), cookies or X-Forwarded-For games.
    const apiRequests = new OriginRequestPolicy(this, "ApiOriginRequests", {
      comment: "eventcast API: content type, query, and CloudFront-Viewer-Address",
      headerBehavior: OriginRequestHeaderBehavior.allowList("Content-Type", VIEWER_ADDRESS_HEADER),
      queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      cookieBehavior: OriginRequestCookieBehavior.none(),
    });

    const directoryIndex = new CloudFrontFunction(this, "DirectoryIndex", {
      comment: "eventcast: /ka/ is served from ka/index.html",
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(DIRECTORY_INDEX_FUNCTION),
    });

    this.distribution = new Distribution(this, "Distribution", {
      comment: "eventcast site, feeds and API",
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Standard logging (legacy) records every query string, and so the token of every manage and
      // unsubscribe link followed: it stays off. /api/* is logged by API Gateway (route, status,
      // latency, no query), the bucket by S3 server access logs.
      enableLogging: false,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(props.feedBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: feedCachePolicy,
        responseHeadersPolicy: feedHeaders,
        compress: true,
        functionAssociations: [{ function: directoryIndex, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      // Only S3's 403 (a missing key, as CloudFront may not list the bucket): the API's own 404s keep their JSON.
      errorResponses: [
        {
          httpStatus: 403,
          responseHttpStatus: 404,
          responsePagePath: NOT_FOUND_PAGE,
          ttl: Duration.minutes(1),
        },
      ],
      additionalBehaviors: {
        "/api/*": {
          origin: new HttpOrigin(props.apiDomainName, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            // A dynamic reference: the value is resolved by CloudFormation, never written into the template.
            customHeaders: { [ORIGIN_SECRET_HEADER]: props.originSecret.secretValue.unsafeUnwrap() },
          }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          originRequestPolicy: apiRequests,
          responseHeadersPolicy: apiHeaders,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: "AwsSolutions-CFR1",
        reason: "The feeds and the public API are meant for readers in every country.",
      },
      {
        id: "AwsSolutions-CFR2",
        reason:
          "WAF is out of scope for now: feeds are static files and the API is throttled per stage; attach a web ACL if abuse shows up.",
      },
      {
        id: "AwsSolutions-CFR3",
        reason:
          "Standard logging (legacy) would record the tokens of manage and unsubscribe links (query strings); API Gateway access logs and S3 server access logs cover what it would.",
      },
      {
        id: "AwsSolutions-CFR4",
        reason:
          "No custom domain yet: the default *.cloudfront.net certificate cannot pin a minimum TLS version; set one with a domain and ACM certificate.",
      },
    );
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
