'use strict';
// UTC calendar periods. Weeks are ISO weeks (start Monday 00:00 UTC).

const DAY = 86400000;

function startOf(period, now) {
	const d = new Date(now);
	const y = d.getUTCFullYear();
	const mo = d.getUTCMonth();
	const day = d.getUTCDate();
	switch (period) {
		case 'hour':
			return Date.UTC(y, mo, day, d.getUTCHours());
		case 'day':
		case 'daily':
			return Date.UTC(y, mo, day);
		case 'week':
		case 'weekly': {
			const sinceMonday = (d.getUTCDay() + 6) % 7;
			return Date.UTC(y, mo, day) - sinceMonday * DAY;
		}
		case 'month':
		case 'monthly':
			return Date.UTC(y, mo, 1);
		default:
			return null;
	}
}

function endOf(period, now) {
	const start = startOf(period, now);
	if (start === null) return null;
	const d = new Date(start);
	switch (period) {
		case 'hour':
			return start + 3600000;
		case 'day':
		case 'daily':
			return start + DAY;
		case 'week':
		case 'weekly':
			return start + 7 * DAY;
		default:
			return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
	}
}

module.exports = { startOf, endOf, DAY };
