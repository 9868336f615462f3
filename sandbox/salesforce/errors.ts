/**
 * Salesforce's error shapes: REST calls answer `[{message, errorCode, fields?}]` with an HTTP status;
 * collections answer 200 with per-record `{success:false, errors:[{statusCode, message, fields}]}`.
 */
import type { FastifyReply } from 'fastify';

export class SalesforceError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
    readonly httpStatus = 400,
  ) {
    super(message);
  }
}

export function sendSalesforceError(reply: FastifyReply, status: number, errorCode: string, message: string, fields?: string[]): FastifyReply {
  return reply
    .code(status)
    .type('application/json;charset=UTF-8')
    .send([{ message, errorCode, ...(fields && fields.length > 0 ? { fields } : {}) }]);
}

export function sendError(reply: FastifyReply, err: SalesforceError): FastifyReply {
  return sendSalesforceError(reply, err.httpStatus, err.errorCode, err.message, err.fields);
}

/** The per-record error form used by sObject Collections (note `statusCode`, not `errorCode`). */
export function collectionError(err: SalesforceError): { statusCode: string; message: string; fields: string[] } {
  return { statusCode: err.errorCode, message: err.message, fields: err.fields };
}
