"""`python -m followscore_client sync`: upsert an account, import follower files, list the
HOT and WARM leads with their reasons and actions, print the network quality report.

Results go to standard output; progress goes to standard error. Exit status: 0 when every
file was imported (rows skipped by the importers do not count as failures), 1 when a call
failed, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import List, Optional, Sequence, TextIO, cast

import grpc

from .client import FORMATS, FollowScoreClient, ImportSummary, ImportTooLarge, enum_name
from .stubs import pb

#: Reasons printed per lead.
REASONS_PER_LEAD = 3


class TextProgress:
    """Plain-text progress on a stream: a redrawn line on a terminal, else a line every 25%."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self._label = label
        self._stream = stream
        self._tty = stream.isatty()
        self._last_step = -1

    def __call__(self, sent: int, total: int) -> None:
        percent = 100 if total == 0 else sent * 100 // total
        if self._tty:
            width = 30
            filled = width * percent // 100
            bar = "#" * filled + "-" * (width - filled)
            self._stream.write(f"\r{self._label} [{bar}] {percent:3d}% {sent:,}/{total:,} bytes")
            if sent >= total:
                self._stream.write("\n")
        elif percent // 25 > self._last_step:
            self._last_step = percent // 25
            self._stream.write(f"{self._label}: {percent}% sent ({sent:,}/{total:,} bytes)\n")
        self._stream.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m followscore_client", description=__doc__.split("\n\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("sync", help="upsert the account, import files, print leads and the report")
    sync.add_argument("--addr", required=True, help="the server, HOST:PORT")
    sync.add_argument("--account", required=True, type=Path, help="the Account message in proto3 JSON")
    sync.add_argument(
        "--format", choices=sorted(FORMATS), default="auto", help="format of every file (default: detected per file)"
    )
    sync.add_argument("--top", type=int, default=10, help="top leads in the report")
    sync.add_argument("files", nargs="+", type=Path, help="follower files (LinkedIn CSV, X JSON lines, X CSV)")
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with FollowScoreClient(args.addr) as client:
            return sync(client, args.account, args.files, FORMATS[args.format], args.top, sys.stdout, sys.stderr)
    except grpc.RpcError as error:
        # Raised call errors are also grpc.Call objects, with a code and details.
        call = cast(grpc.Call, error)
        print(f"error: {call.code().name}: {call.details()}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


def sync(
    client: FollowScoreClient,
    account_file: Path,
    files: List[Path],
    file_format: pb.ImportFormat,
    top: int,
    out: TextIO,
    err: TextIO,
) -> int:
    account = client.upsert_account_json(account_file.read_text(encoding="utf-8"))
    account_id = account.account_id
    out.write(
        f"account {account_id} ({account.display_name}) upserted, config version {account.config_version}\n\n"
    )
    for path in files:
        try:
            summary = client.import_file(account_id, path, file_format, TextProgress(path.name, err))
        except ImportTooLarge as error:
            out.write(f"{path}: not imported: {error}\n")
            return 1
        print_import(summary, out)
    print_leads(client, account_id, out)
    print_report(client.network_quality(account_id, top), out)
    return 0


def print_import(summary: ImportSummary, out: TextIO) -> None:
    r = summary.response
    out.write(
        f"{summary.path}: read as {summary.format_name}: {r.rows_read} rows read, "
        f"{r.rows_scored} scored, {r.rows_skipped} skipped\n"
    )
    for error in r.errors:
        out.write(f"  line {error.line}: skipped: {error.message}\n")
    if r.errors_omitted:
        out.write(f"  … and {r.errors_omitted} more rows skipped\n")
    out.write("\n")


def print_leads(client: FollowScoreClient, account_id: str, out: TextIO) -> None:
    for tier in (pb.LEAD_TIER_HOT, pb.LEAD_TIER_WARM):
        name = enum_name(pb.LeadTier, tier, "LEAD_TIER_")
        leads = list(client.followers(account_id, lead_tier=tier))
        out.write(f"{name} leads: {len(leads)}\n")
        for lead in leads:
            out.write("  " + describe_lead(lead) + "\n")
            for reason in lead.reasons[:REASONS_PER_LEAD]:
                out.write(f"      why: {reason.message}\n")
            actions = ", ".join(enum_name(pb.Action, a, "ACTION_") for a in lead.actions)
            out.write(f"      next: {actions or 'none'}\n")
        out.write("\n")


def describe_lead(lead: pb.FollowerResult) -> str:
    platform = enum_name(pb.Platform, lead.platform, "PLATFORM_").lower()
    category = enum_name(pb.Category, lead.category, "CATEGORY_")
    tier = enum_name(pb.LeadTier, lead.lead_tier, "LEAD_TIER_")
    company = f" at {lead.matched_company}" if lead.matched_company else ""
    return f"{tier} {lead.tier_label}  score {lead.lead_score:3d}  {category}{company}  {platform}:{lead.follower_id}"


def _share(share: pb.Share) -> str:
    text = f"{share.count} ({share.share * 100:.1f}%"
    if share.has_interval:
        text += f", 95% CI {share.lower_95 * 100:.1f}–{share.upper_95 * 100:.1f}%"
    return text + ")"


def print_report(report: pb.NetworkQualityReport, out: TextIO) -> None:
    w = out.write
    w(f"Network quality report: {report.account_id}\n")
    w(f"  audience quality score: {report.audience_quality_score:.1f} / 100\n")
    basis = f"  followers: {report.total_followers}"
    if report.is_sample:
        basis += f" (a sample of the {report.stated_total_followers:,} the platforms state)"
    w(basis + "\n")
    w(f"  qualified: {_share(report.qualified)}   quality ratio {report.quality_ratio:.3f}\n")
    w(f"  excluded (employees, vendors, competitors, bots): {_share(report.excluded)}\n")
    w(f"  bots: {_share(report.bots)}   dormant: {_share(report.dormant)}   engaged: {_share(report.engaged)}\n")
    w("\n  category        followers\n")
    for c in report.categories:
        w(f"  {enum_name(pb.Category, c.category, 'CATEGORY_'):<14} {_share(c.share)}\n")
    w("\n  lead tier       followers\n")
    for t in report.tiers:
        w(f"  {enum_name(pb.LeadTier, t.lead_tier, 'LEAD_TIER_'):<14} {_share(t.share)}\n")
    if report.growth:
        w("\n  growth     new  unfollows  net  qualified net  quality ratio change\n")
        for g in report.growth:
            w(
                f"  {g.window_days:>3} days {g.new_followers:>5} {g.unfollows:>10} {g.net_change:>4}"
                f" {g.qualified_net_change:>14} {g.quality_ratio_change:>+21.3f}\n"
            )
    a = report.action_lists
    w(
        f"\n  action lists: prune {a.to_prune}, follow back {a.to_follow_back}, route to sales "
        f"{a.to_route_to_sales}, to account managers {a.to_route_to_account_manager}, to recruiting "
        f"{a.to_route_to_recruiting}, engage influencers {a.to_engage_influencer}\n"
    )
    if report.top_leads:
        w("\n  top leads\n")
        for lead in report.top_leads:
            w("    " + describe_lead(lead) + "\n")
    if report.stale_results:
        w(f"\n  {report.stale_results} results are still being rescored after a change\n")
