/**
 * The TTL resolvers hold an answer of an alias record for. An alias record has no TTL of its own: Route 53
 * answers it with the TTL of the AWS resource it points to, which for an Elastic Load Balancing load
 * balancer is fixed at 60 s (Route 53 developer guide, "Choosing between alias and non-alias records";
 * Route 53 FAQ, DNS failover: "alias records with a fixed TTL of 60 seconds"). docs/aws-facts.md gives
 * the sources.
 */
export const LOAD_BALANCER_ALIAS_TTL_SECONDS = 60;
