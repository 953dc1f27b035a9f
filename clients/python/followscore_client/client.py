"""A typed wrapper over the followscore gRPC API for CRM integrations.

It owns the connection and the request shapes (chunking a file for ImportFollowers, paging
ListFollowers); it does not print. Follower files are sent as raw bytes: the server's own
importers read them, so no client re-implements the formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional, cast

import grpc
from google.protobuf import json_format

from .stubs import pb, pb_grpc

#: Bytes per ImportFollowers message; the server accepts at most 1 MiB.
CHUNK_BYTES = 256 * 1024
#: Most bytes one import may send (the server's limit).
MAX_IMPORT_BYTES = 64 * 1024 * 1024
#: Largest answer accepted: an import's answer and a report stay well below it.
MAX_RECEIVE_BYTES = 16 * 1024 * 1024

#: Called with (bytes sent, total bytes) as a file goes out.
Progress = Callable[[int, int], None]

FORMATS: Dict[str, pb.ImportFormat] = {
    "auto": pb.IMPORT_FORMAT_AUTO,
    "linkedin-csv": pb.IMPORT_FORMAT_LINKEDIN_CSV,
    "twitter-json": pb.IMPORT_FORMAT_TWITTER_JSON,
    "twitter-csv": pb.IMPORT_FORMAT_TWITTER_CSV,
}


class ImportTooLarge(ValueError):
    """A file over the server's per-import limit; split it first."""


@dataclass(frozen=True)
class ImportSummary:
    path: Path
    response: pb.ImportFollowersResponse

    @property
    def format_name(self) -> str:
        return enum_name(pb.ImportFormat, self.response.format, "IMPORT_FORMAT_")


def enum_name(enum: object, value: int, prefix: str) -> str:
    """`CATEGORY_PROSPECT` → `PROSPECT`."""
    name: str = enum.Name(value)  # type: ignore[attr-defined]
    return name[len(prefix):] if name.startswith(prefix) else name


class FollowScoreClient:
    def __init__(self, addr: str, timeout_seconds: float = 300.0) -> None:
        self._channel = grpc.insecure_channel(
            addr, options=[("grpc.max_receive_message_length", MAX_RECEIVE_BYTES)]
        )
        # The generated service stub carries no type hints; the messages it returns do.
        self._stub: Any = pb_grpc.FollowScoreStub(self._channel)  # type: ignore[no-untyped-call]
        self._timeout = timeout_seconds

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "FollowScoreClient":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def upsert_account_json(self, text: str) -> pb.Account:
        """Creates or replaces the account given as the Account message in proto3 JSON."""
        account = json_format.Parse(text, pb.Account())
        request = pb.UpsertAccountRequest(account=account)
        response = self._stub.UpsertAccount(request, timeout=self._timeout)
        return cast(pb.Account, response.account)

    def import_file(
        self,
        account_id: str,
        path: Path,
        file_format: pb.ImportFormat = pb.IMPORT_FORMAT_AUTO,
        progress: Optional[Progress] = None,
    ) -> ImportSummary:
        """Streams a follower file to ImportFollowers in chunks and returns the answer."""
        total = path.stat().st_size
        if total > MAX_IMPORT_BYTES:
            raise ImportTooLarge(
                f"{path} is {total} bytes; an import is at most {MAX_IMPORT_BYTES} bytes"
            )

        def requests() -> Iterator[pb.ImportFollowersRequest]:
            yield pb.ImportFollowersRequest(
                start=pb.ImportStart(account_id=account_id, format=file_format)
            )
            sent = 0
            with path.open("rb") as file:
                while chunk := file.read(CHUNK_BYTES):
                    yield pb.ImportFollowersRequest(data=chunk)
                    sent += len(chunk)
                    if progress is not None:
                        progress(sent, total)

        response = self._stub.ImportFollowers(requests(), timeout=self._timeout)
        return ImportSummary(path=path, response=cast(pb.ImportFollowersResponse, response))

    def followers(
        self,
        account_id: str,
        lead_tier: pb.LeadTier = pb.LEAD_TIER_UNSPECIFIED,
        page_size: int = 500,
    ) -> Iterator[pb.FollowerResult]:
        """Every stored current follower matching the filter, best lead score first."""
        token = ""
        while True:
            page = self._stub.ListFollowers(
                pb.ListFollowersRequest(
                    account_id=account_id,
                    lead_tier=lead_tier,
                    page_size=page_size,
                    page_token=token,
                ),
                timeout=self._timeout,
            )
            yield from page.results
            token = page.next_page_token
            if not token:
                return

    def network_quality(self, account_id: str, top_n: int = 10) -> pb.NetworkQualityReport:
        report = self._stub.GetNetworkQuality(
            pb.GetNetworkQualityRequest(account_id=account_id, top_n=top_n),
            timeout=self._timeout,
        )
        return cast(pb.NetworkQualityReport, report)
