import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postToResponseUrl,
  ResponseUrlError,
} from '../../../src/adapters/slack/slack-response-url.ts';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack.ts';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake.close();
});

describe(postToResponseUrl.name, () => {
  it('posts the answer as JSON to each response_url in turn', async () => {
    const answer = { response_type: 'ephemeral', text: '株式会社アクメ — ¥30,000,000', blocks: [] };
    for (const id of ['a1', 'a2', 'a3']) {
      await postToResponseUrl(fake.responseUrl(id), { ...answer, id });
      expect((await fake.waitForResponse(id)).body).toEqual({ ...answer, id });
    }
  });

  it('rejects with the status when Slack refuses the answer (an expired URL)', async () => {
    fake.failNextResponse(404);
    const refused = postToResponseUrl(fake.responseUrl('late'), { text: 'late' });
    await expect(refused).rejects.toBeInstanceOf(ResponseUrlError);
    await expect(refused).rejects.toMatchObject({ status: 404 });
  });

  it('rejects what is not an http(s) URL without sending it anywhere', async () => {
    await expect(postToResponseUrl('ftp://example.com/x', { text: 'x' })).rejects.toThrow(
      /not an http\(s\) response_url/,
    );
  });
});
