import { readFileSync } from 'node:fs';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

const openapiJson = new URL('./openapi.json', import.meta.url);
const schemaDts = new URL('./schema.d.ts', import.meta.url);

describe('schema.d.ts', () => {
  // The same output as `npm run gen:api` (the openapi-typescript CLI without options), so a
  // backend change that reaches openapi.json cannot leave the REST types behind.
  it('is what openapi-typescript makes of openapi.json', async () => {
    const generated = COMMENT_HEADER + astToString(await openapiTS(openapiJson, { silent: true }));
    const committed = readFileSync(schemaDts, 'utf8');
    expect(committed === generated, 'src/lib/api/schema.d.ts is stale; run: npm run gen:api').toBe(true);
  });
});
