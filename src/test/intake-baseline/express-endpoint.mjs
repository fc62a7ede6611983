// The seed's minimal Express endpoint (seeds, "Endpoint mínimo (Express)"): read the raw body, check its HMAC, answer
// 200. It stores nothing and parses nothing else. Only the header is Meta's (X-Hub-Signature-256) so both endpoints
// take the same signed requests.
import express from 'express';
import crypto from 'crypto';

const secret = process.env.WHATSAPP_APP_SECRET ?? 'dev-app-secret';
const port = Number(process.env.PORT ?? 3000);
const app = express();
app.post('/webhooks/whatsapp', express.raw({ type: 'application/json', limit: '3mb' }), (req, res) => {
  const sig = req.header('X-Hub-Signature-256');
  const h = crypto.createHmac('sha256', secret).update(req.body).digest('hex');
  if (!sig || sig.replace('sha256=', '') !== h) return res.sendStatus(401);
  JSON.parse(req.body.toString());
  return res.status(200).json({ ok: true });
});
app.listen(port, () => console.log(`express baseline on ${port}`));
