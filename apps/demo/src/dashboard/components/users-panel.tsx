import type { UserRow } from '../../gateway/dashboard-snapshot.js';
import { num, usd } from '../format.js';

/** Spend per user against the budget their key carries. */
export function UsersPanel({
  users,
  simulated,
}: {
  users: readonly UserRow[];
  simulated: boolean;
}) {
  return (
    <section class="card" data-testid="users">
      <div class="card-head">
        <h2>Spend per user</h2>
        <span class="muted">against each key's budget{simulated ? ' · simulated spend' : ''}</span>
      </div>
      {users.length === 0 && (
        <p class="muted">
          No user keys yet. Run with <code>--traffic</code>, or create one:{' '}
          <code>orchestrator keys create --user alice --budget 0.05</code>
        </p>
      )}
      <ul class="users">
        {users.map((u) => {
          const share = u.budget
            ? Math.min(1, u.budget.spentUsd / Math.max(u.budget.limitUsd, 1e-9))
            : 0;
          return (
            <li key={u.user}>
              <div class="user-head">
                <strong>{u.user}</strong>
                <span class="muted">{num(u.requests)} requests</span>
                <span class="user-spend">
                  {usd(u.spentUsd)}
                  {u.budget ? ` of ${usd(u.budget.limitUsd)} ${u.budget.period}` : ' · no budget'}
                </span>
              </div>
              {u.budget && (
                <div class="bar" title={`${Math.round(share * 100)}% of the budget`}>
                  <div
                    class={`bar-fill ${share >= 1 ? 'bar-bad' : share > 0.8 ? 'bar-warn' : ''}`}
                    style={{ width: `${share * 100}%` }}
                  />
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
