import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../../src/adapters/slack/index.ts';

// Creating the Slack app is one paste: the manifests must ask for what the adapter uses.

interface Manifest {
  features: {
    app_home: { home_tab_enabled: boolean };
    slash_commands: { command: string; url?: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../slack/${name}`, import.meta.url), 'utf8')) as Manifest;

describe('the Slack app manifests', () => {
  it.each([
    ['manifest.json', false],
    ['manifest.socket-mode.json', true],
  ])('%s has the command, scopes, interactivity, Home tab and events', (name, socket) => {
    const manifest = read(name);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/credit']);
    // commands: the slash command; chat:write: answers and DMs; users:read: the user's language;
    // files:write: the digest's aging chart.
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'users:read', 'files:write']),
    );
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(socket);
    const urls = [
      manifest.features.slash_commands[0]?.url,
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    if (socket) expect(urls.filter(Boolean)).toEqual([]);
    else
      for (const url of urls) expect(url).toMatch(new RegExp(`^https://.+${SLACK_EVENTS_PATH}$`));
  });
});
