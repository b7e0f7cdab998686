/**
 * A build step (Vite plugin) that puts the first-screen script (src/platform/first-screen-script.ts)
 * inline at the top of index.html's body, so it runs while the page is parsed, before the modules.
 * firebase.json's Content-Security-Policy allows it by its hash; a unit test keeps the two equal.
 */
import type { Plugin } from 'vite';
import { firstScreenScript } from '../src/platform/first-screen-script.js';

export function inlineFirstScreen(): Plugin {
  return {
    name: 'inline-first-screen',
    transformIndexHtml(html) {
      if (!html.includes('<body>')) throw new Error('index.html has no <body> for the first-screen script');
      return html.replace('<body>', `<body>\n    <script>${firstScreenScript()}</script>`);
    },
  };
}
