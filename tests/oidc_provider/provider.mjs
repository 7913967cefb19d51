// A real OpenID Connect provider (panva's oidc-provider) on loopback, for the portal's single
// sign-on tests. tests/accounts/oidc_fixtures.py starts it with `node provider.mjs` and reads the
// first line it prints: {"issuer": "http://127.0.0.1:<port>"}.
//
// Environment: OIDC_CLIENTS, a JSON list of clients ({client_id, client_secret, redirect_uris,
// post_logout_redirect_uris}); loopback redirect URIs match on any port (RFC 8252).
//
// The log-in page takes any user name and password; the user name is the account's id (its `sub`).
// Test controls (loopback only, no authentication: this is a test double):
//   POST /__test__/accounts  {"<sub>": {"email": "...", "email_verified": true, "name": "..."}}
//   POST /__test__/mode      {"mode": "normal" | "wrong_audience" | "expired" | "claims_in_userinfo"}
// In "wrong_audience" mode the token endpoint answers with an ID token the provider signed for
// another client; in "expired" mode with one that expired ten minutes ago; in "claims_in_userinfo"
// mode with one without the e-mail and name claims (the userinfo endpoint still has them).
import http from 'node:http';

import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.OIDC_CLIENTS || '[]');
const accounts = new Map();
let mode = 'normal';

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const signingJwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const signingKey = await importJWK(signingJwk, 'RS256');

const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

const escapeHtml = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...client,
  })),
  jwks: { keys: [signingJwk] },
  cookies: { keys: ['test-only-cookie-key'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // Real providers (Entra ID, Keycloak) put the e-mail claims into the ID token of the code flow.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Log out of the test provider?', `${form}
          <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, log me out</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Logged out', '<p>You are logged out of the test provider.</p>');
      },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const known = accounts.get(sub) || { email: sub, email_verified: true, name: sub };
    return { accountId: sub, claims: async () => ({ sub, ...known }) };
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    ctx.body = page('Error', `<pre>${escapeHtml(JSON.stringify(out))}</pre>`);
  },
});

// The token endpoint's answer, with the ID token replaced in the test modes (signed with the
// provider's own key, so only its audience or its expiry is wrong).
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path !== '/token' || mode === 'normal' || !ctx.body || !ctx.body.id_token) return;
  const claims = decodeJwt(ctx.body.id_token);
  const header = decodeProtectedHeader(ctx.body.id_token);
  const now = Math.floor(Date.now() / 1000);
  if (mode === 'wrong_audience') {
    claims.aud = 'another-client';
    if (claims.azp) claims.azp = 'another-client';
  } else if (mode === 'claims_in_userinfo') {
    delete claims.email;
    delete claims.email_verified;
    delete claims.name;
  } else if (mode === 'expired') {
    claims.iat = now - 1200;
    claims.exp = now - 600;
  }
  ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader(header).sign(signingKey) };
});

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params, session } = details;
  if (prompt.name === 'consent') {
    const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, {
      mergeWithLastSubmission: true,
    });
    return;
  }
  if (req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    await provider.interactionFinished(req, res, { login: { accountId: form.get('login') } }, {
      mergeWithLastSubmission: false,
    });
    return;
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(page('Test provider log-in', `<form method="post" action="/interaction/${uid}">
    <label for="login">User</label> <input id="login" name="login" autofocus required>
    <label for="password">Password</label> <input id="password" name="password" type="password">
    <button type="submit">Sign in</button></form>`));
}

async function control(req, res) {
  const body = JSON.parse((await readBody(req)) || '{}');
  if (req.url === '/__test__/accounts') {
    for (const [sub, claims] of Object.entries(body)) accounts.set(sub, claims);
  } else if (req.url === '/__test__/mode') {
    mode = body.mode;
  } else {
    res.statusCode = 404;
  }
  res.end('{}');
}

const providerCallback = provider.callback();
server.on('request', (req, res) => {
  if (req.url === '/favicon.ico') {
    res.statusCode = 204; // a browser asks for it on every page; none is no error
    res.end();
    return;
  }
  const handle = req.url.startsWith('/__test__/') && req.method === 'POST'
    ? control
    : req.url.startsWith('/interaction/') ? interaction : providerCallback;
  Promise.resolve(handle(req, res)).catch((error) => {
    res.statusCode = 500;
    res.end(String(error));
  });
});

process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
