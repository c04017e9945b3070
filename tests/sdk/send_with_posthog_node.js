// Captures events with posthog-node as an application would, then prints what the SDK reported.
//   node send_with_posthog_node.js HOST TOKEN COUNT RUN   (POSTHOG_CAPTURE_MODE=v1 for capture v1)
// RUN is a property of every event, telling the runs against one server apart.
// Seven events in ten are valid (plan + numeric seats), the other three have mistyped seats.
const { PostHog } = require('posthog-node')

async function main() {
    const [host, token, count, run] = process.argv.slice(2)
    // The SDK's retry timers do not keep Node running (an application's server would): this does, until the end.
    const alive = setInterval(() => {}, 1000)
    const errors = []
    const client = new PostHog(token, { host, flushAt: 100, flushInterval: 50, fetchRetryDelay: 100 })
    client.on('error', (error) => errors.push(String(error && error.stack ? error.stack : error)))
    for (let n = 0; n < Number(count); n++) {
        const valid = n % 10 < 7
        client.capture({
            distinctId: `user-${n}`,
            event: 'signed up',
            properties: { n, run, plan: 'pro', seats: valid ? n : 'many' },
        })
    }
    await client.shutdown(20000)
    clearInterval(alive)
    process.stdout.write(JSON.stringify({ errors }) + '\n')
}

main().catch((error) => {
    process.stdout.write(JSON.stringify({ errors: [String(error)] }) + '\n')
    process.exitCode = 1
})
