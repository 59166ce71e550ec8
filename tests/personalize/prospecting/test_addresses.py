"""The address guard on generated input: nothing inside a non-public network gets through,
however the address is written or whatever a host name resolves to."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dealflow.personalize.prospecting.addresses import AllowedTarget, check_url
from dealflow.personalize.prospecting.errors import FetchRefusedError

INSIDE = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "0.0.0.0/8",
    "224.0.0.0/4",
]


@st.composite
def inside_addresses(draw: st.DrawFn) -> ipaddress.IPv4Address:
    network = ipaddress.ip_network(draw(st.sampled_from(INSIDE)))
    offset = draw(st.integers(0, network.num_addresses - 1))
    return network[offset]


@given(inside_addresses(), st.sampled_from(["plain", "mapped", "resolved"]))
def test_no_way_of_writing_an_inside_address_gets_through(
    address: ipaddress.IPv4Address, form: str
) -> None:
    if form == "plain":
        url, resolve = f"http://{address}/", None
    elif form == "mapped":
        url, resolve = f"http://[::ffff:{address}]/", None
    else:  # a public-looking name whose DNS answers with an inside address
        url, resolve = "http://shop.northwind-robotics.com/", lambda _h, _p: [str(address)]
    with pytest.raises(FetchRefusedError) as refused:
        check_url(url, (), resolve) if resolve else check_url(url)
    assert refused.value.url == url


@given(inside_addresses())
def test_one_inside_address_among_public_ones_is_enough_to_refuse(
    address: ipaddress.IPv4Address,
) -> None:
    with pytest.raises(FetchRefusedError, match=str(address)):
        check_url(
            "http://shop.northwind-robotics.com/",
            (),
            lambda _h, _p: ["93.184.215.14", str(address)],
        )


@given(st.integers(1, 65535))
def test_an_allowed_port_admits_that_port_only(port: int) -> None:
    allowed = (AllowedTarget.parse("127.0.0.1:8123"),)
    url = f"http://127.0.0.1:{port}/"
    if port == 8123:
        assert check_url(url, allowed).address == "127.0.0.1"
    else:
        with pytest.raises(FetchRefusedError, match="loopback"):
            check_url(url, allowed)


def test_the_checked_address_is_the_one_connected_to() -> None:
    target = check_url(
        "https://shop.northwind-robotics.com:8443/a?b=1", (), lambda _h, _p: ["93.184.215.14"]
    )
    assert str(target.pinned_url) == "https://93.184.215.14:8443/a?b=1"
    assert target.url.host == "shop.northwind-robotics.com"
