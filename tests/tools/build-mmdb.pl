#!/usr/bin/perl
# build-mmdb.pl - write a small MaxMind DB from the JSON fixture spec.
#
#   build-mmdb.pl --spec tests/fixtures/geo.json --kind KIND --out FILE
#
# KIND is one of:
#   asn        GeoLite2-ASN layout, from the spec's "asn" list
#   city       GeoLite2-City layout, from the "city" list
#   city-moved GeoLite2-City: the "city" list with the "city_moved" list's
#              records in place of those of the same networks (a later
#              edition of the same database)
#   country    GeoLite2-Country: the "city" list without city, subdivisions
#              and location
#   dbip-city  DBIP-City-Lite: no subdivision codes, no registered country,
#              no accuracy radius (the DB-IP lite layout)
#   dbip-country  DBIP-Country-Lite: the dbip-city layout without city,
#              subdivisions and location
#   dbip-asn   DBIP-ASN-Lite: the "asn" list
#   flat-ipv4, flat-ipv6  ip-location-db's DB-IP City files ("city ipv4",
#              "city ipv6"): flat records (country_code, state1, state2,
#              city, latitude, longitude), the "city" list's networks of
#              that family only
#   other      a valid database of another schema (GeoIP2-Anonymous-IP)
#   unknown    a valid database of a type nobody knows ("ACME-Geo-City")
#
# --build-epoch SECONDS sets the build time in the metadata (default now),
# for tests of old databases.
#
# Tests build their databases with this at test time, so every expected
# value is known exactly and no real database is needed.
use strict;
use warnings;
use Getopt::Long;
use JSON::PP;
use MaxMind::DB::Writer::Tree;

my ($spec_path, $kind, $out, $build_epoch);
GetOptions('spec=s' => \$spec_path, 'kind=s' => \$kind, 'out=s' => \$out,
    'build-epoch=i' => \$build_epoch)
    && $spec_path && $kind && $out
    or die "usage: $0 --spec FILE --kind KIND --out FILE [--build-epoch SECONDS]\n";

open my $fh, '<:raw', $spec_path or die "$spec_path: $!\n";
my $spec = JSON::PP->new->utf8->decode(do { local $/; <$fh> });
close $fh;

my %types = (
    autonomous_system_number       => 'uint32',
    autonomous_system_organization => 'utf8_string',
    accuracy_radius                => 'uint16',
    latitude                       => 'double',
    longitude                      => 'double',
    geoname_id                     => 'uint32',
    is_anonymous                   => 'boolean',
    is_anycast                     => 'boolean',
    subdivisions                   => ['array', 'map'],
    map { $_ => 'map' } qw(city continent country registered_country location names traits),
);
# The flat layout stores its coordinates as floats.
my %flat_types = (latitude => 'float', longitude => 'float');

my %layout = (
    asn            => ['GeoLite2-ASN', 'asn'],
    city           => ['GeoLite2-City', 'city'],
    'city-moved'   => ['GeoLite2-City', 'city'],
    country        => ['GeoLite2-Country', 'city'],
    'dbip-city'    => ['DBIP-City-Lite', 'city'],
    'dbip-country' => ['DBIP-Country-Lite', 'city'],
    'dbip-asn'     => ['DBIP-ASN-Lite', 'asn'],
    'flat-ipv4'    => ['city ipv4', 'city'],
    'flat-ipv6'    => ['city ipv6', 'city'],
    other          => ['GeoIP2-Anonymous-IP', 'city'],
    unknown        => ['ACME-Geo-City', 'city'],
);
my $what = $layout{$kind} or die "unknown kind '$kind'\n";
my $flat = $kind =~ /^flat-ipv([46])$/ ? $1 : 0;

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => $flat == 4 ? 4 : 6,
    record_size              => 24,
    database_type            => $what->[0],
    languages                => ['en'],
    description              => { en => "CamTrace test fixture ($kind)" },
    alias_ipv6_to_ipv4       => $flat == 4 ? 0 : 1,
    remove_reserved_networks => 0,
    map_key_type_callback    => sub {
        $flat ? $flat_types{ $_[0] } // 'utf8_string' : $types{ $_[0] } // 'utf8_string'
    },
);
$tree->_set_build_epoch($build_epoch) if defined $build_epoch;

sub reshape {
    my ($data) = @_;
    my %r = %$data;
    if ($flat) {
        my @subs = @{ $r{subdivisions} // [] };
        my %f = (
            country_code => $r{country} ? $r{country}{iso_code} : '',
            state1       => @subs ? $subs[0]{names}{en} : '',
            state2       => @subs > 1 ? $subs[-1]{names}{en} : '',
            city         => $r{city} ? $r{city}{names}{en} : '',
        );
        if ($r{location}) {
            $f{latitude}  = $r{location}{latitude};
            $f{longitude} = $r{location}{longitude};
        }
        return \%f;
    }
    if ($kind eq 'country' || $kind eq 'dbip-country') {
        delete @r{qw(city subdivisions location)};
    }
    if ($kind eq 'dbip-city' || $kind eq 'dbip-country') {
        delete @r{qw(registered_country traits)};
        $r{subdivisions} = [ map { { names => $_->{names} } } @{ $r{subdivisions} } ]
            if $r{subdivisions};
        if ($r{location}) {
            my %loc = %{ $r{location} };
            delete $loc{accuracy_radius};
            $r{location} = \%loc;
        }
    } elsif ($kind eq 'other') {
        %r = (is_anonymous => JSON::PP::true);
    }
    return \%r;
}

my %moved = $kind eq 'city-moved'
    ? map { $_->{network} => $_ } @{ $spec->{city_moved} // die "no city_moved list\n" }
    : ();
for my $listed (@{ $spec->{ $what->[1] } }) {
    my $entry = delete $moved{ $listed->{network} } // $listed;
    my $v6 = $entry->{network} =~ /:/;
    next if $flat && ($flat == 6) != $v6;
    $tree->insert_network($entry->{network}, reshape($entry->{data}));
}
die "city_moved networks not in the city list: @{[ sort keys %moved ]}\n" if %moved;

open my $outfh, '>:raw', $out or die "$out: $!\n";
$tree->write_tree($outfh);
close $outfh or die "$out: $!\n";
