-- Other names job ads use for each skill ("golang", "postgres", "rest api", "stakeholder
-- management"), for matching a pasted job ad against the catalogue. An alias names one skill
-- only; matching is by whole words, case-insensitively, so an alias avoids ordinary English
-- words on their own ("go", "lead", "team", "data").
CREATE TABLE Skill_Aliases (
    skill_id INTEGER NOT NULL REFERENCES Skills(skill_id) ON DELETE CASCADE,
    alias TEXT NOT NULL COLLATE NOCASE CHECK (length(alias) BETWEEN 1 AND 60),
    PRIMARY KEY (skill_id, alias),
    UNIQUE (alias)
);

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('javascript'),
    ('js'),
    ('typescript'),
    ('node.js'),
    ('nodejs'),
    ('react'),
    ('reactjs'),
    ('react native'),
    ('vue'),
    ('vue.js'),
    ('angular'),
    ('es6'),
    ('frontend'),
    ('front-end'),
    ('next.js'),
    ('svelte'),
    ('jquery'),
    ('npm')
) AS a WHERE s.skill_name = 'JavaScript';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('python'),
    ('python3'),
    ('django'),
    ('flask'),
    ('fastapi'),
    ('pandas'),
    ('numpy'),
    ('pyspark'),
    ('pytest'),
    ('jupyter'),
    ('airflow'),
    ('sqlalchemy'),
    ('scikit-learn'),
    ('celery'),
    ('pydantic')
) AS a WHERE s.skill_name = 'Python';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('java'),
    ('spring boot'),
    ('spring framework'),
    ('spring cloud'),
    ('jvm'),
    ('kotlin'),
    ('hibernate'),
    ('maven'),
    ('gradle'),
    ('j2ee'),
    ('java ee'),
    ('jakarta ee'),
    ('junit'),
    ('quarkus')
) AS a WHERE s.skill_name = 'Java';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('golang'),
    ('go developer'),
    ('go engineer'),
    ('go programmer'),
    ('go programming'),
    ('goroutines'),
    ('go modules'),
    ('written in go'),
    ('gin framework')
) AS a WHERE s.skill_name = 'Go';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('problem solving'),
    ('problem-solving'),
    ('problem solver'),
    ('analytical skills'),
    ('analytical thinking'),
    ('analytical mindset'),
    ('troubleshooting'),
    ('root cause analysis'),
    ('debugging'),
    ('critical thinking'),
    ('first principles'),
    ('ambiguous problems'),
    ('complex problems'),
    ('creative solutions'),
    ('solve problems'),
    ('solving problems')
) AS a WHERE s.skill_name = 'Problem Solving';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('communication skills'),
    ('written communication'),
    ('verbal communication'),
    ('written and verbal'),
    ('communicate clearly'),
    ('clear communicator'),
    ('strong communicator'),
    ('excellent communicator'),
    ('presentation skills'),
    ('public speaking'),
    ('stakeholder management'),
    ('articulate'),
    ('technical writing'),
    ('explain complex'),
    ('fluent english'),
    ('storytelling')
) AS a WHERE s.skill_name = 'Communication';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('teamwork'),
    ('team player'),
    ('cross-functional'),
    ('cross functional'),
    ('collaborative'),
    ('collaboration'),
    ('collaborate'),
    ('work closely with'),
    ('pair programming'),
    ('pairing'),
    ('team-oriented'),
    ('low-ego'),
    ('collaborative environment'),
    ('code reviews')
) AS a WHERE s.skill_name = 'Teamwork';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('system architecture'),
    ('software architecture'),
    ('system design'),
    ('distributed systems'),
    ('microservices'),
    ('micro-services'),
    ('scalability'),
    ('scalable systems'),
    ('high availability'),
    ('fault tolerance'),
    ('fault-tolerant'),
    ('event-driven'),
    ('event-driven architecture'),
    ('kafka'),
    ('message queues'),
    ('service-oriented architecture'),
    ('domain-driven design'),
    ('architectural decisions'),
    ('architect'),
    ('resilience patterns')
) AS a WHERE s.skill_name = 'System Architecture';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('algorithms'),
    ('data structures'),
    ('algorithm design'),
    ('big-o'),
    ('big o notation'),
    ('complexity analysis'),
    ('time complexity'),
    ('graph algorithms'),
    ('dynamic programming'),
    ('computer science fundamentals'),
    ('cs fundamentals'),
    ('leetcode'),
    ('competitive programming'),
    ('sorting algorithms')
) AS a WHERE s.skill_name = 'Algorithms & Data Structures';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('sql'),
    ('postgres'),
    ('postgresql'),
    ('mysql'),
    ('mariadb'),
    ('sql server'),
    ('mssql'),
    ('oracle database'),
    ('relational database'),
    ('relational databases'),
    ('rdbms'),
    ('query optimisation'),
    ('query optimization'),
    ('t-sql'),
    ('pl/sql'),
    ('sqlite'),
    ('snowflake'),
    ('bigquery'),
    ('redshift'),
    ('database schema design')
) AS a WHERE s.skill_name = 'Databases (SQL)';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('nosql'),
    ('mongodb'),
    ('mongo'),
    ('dynamodb'),
    ('cassandra'),
    ('redis'),
    ('couchbase'),
    ('couchdb'),
    ('elasticsearch'),
    ('document database'),
    ('key-value store'),
    ('firestore'),
    ('neo4j'),
    ('graph database'),
    ('hbase'),
    ('bigtable'),
    ('scylladb'),
    ('cosmos db')
) AS a WHERE s.skill_name = 'Databases (NoSQL)';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('api design'),
    ('rest api'),
    ('rest apis'),
    ('restful'),
    ('graphql'),
    ('grpc'),
    ('openapi'),
    ('swagger'),
    ('api-first'),
    ('protobuf'),
    ('protocol buffers'),
    ('webhooks'),
    ('api contracts'),
    ('api versioning'),
    ('designing apis'),
    ('public api'),
    ('json api')
) AS a WHERE s.skill_name = 'API Design';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('leadership'),
    ('mentor'),
    ('mentoring'),
    ('mentorship'),
    ('lead a team'),
    ('leading teams'),
    ('people management'),
    ('people manager'),
    ('line management'),
    ('line manager'),
    ('team lead'),
    ('tech lead'),
    ('technical leadership'),
    ('engineering manager'),
    ('coaching'),
    ('direct reports'),
    ('one-to-ones'),
    ('1:1s'),
    ('performance reviews'),
    ('grow engineers')
) AS a WHERE s.skill_name = 'Leadership';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('product strategy'),
    ('product vision'),
    ('product roadmap'),
    ('go-to-market'),
    ('gtm'),
    ('market research'),
    ('competitive analysis'),
    ('product-market fit'),
    ('business goals'),
    ('value proposition'),
    ('pricing strategy'),
    ('product direction'),
    ('product sense'),
    ('business outcomes'),
    ('commercial awareness'),
    ('market opportunity')
) AS a WHERE s.skill_name = 'Product Strategy';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('user empathy'),
    ('customer empathy'),
    ('empathy'),
    ('user research'),
    ('customer research'),
    ('customer interviews'),
    ('user interviews'),
    ('user needs'),
    ('customer needs'),
    ('customer-centric'),
    ('user-centric'),
    ('user-centred'),
    ('user-centered'),
    ('human-centred design'),
    ('human-centered design'),
    ('jobs to be done'),
    ('usability testing'),
    ('voice of the customer'),
    ('pain points'),
    ('customer obsession')
) AS a WHERE s.skill_name = 'User Empathy';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('success metrics'),
    ('kpis'),
    ('kpi'),
    ('okrs'),
    ('analytics'),
    ('a/b testing'),
    ('a/b tests'),
    ('experimentation'),
    ('data-driven'),
    ('data-informed'),
    ('dashboards'),
    ('funnel analysis'),
    ('cohort analysis'),
    ('statistical significance'),
    ('product analytics'),
    ('amplitude'),
    ('mixpanel'),
    ('north star metric'),
    ('analyse data'),
    ('analyze data')
) AS a WHERE s.skill_name = 'Metrics & Analytics';

INSERT INTO Skill_Aliases (skill_id, alias)
SELECT s.skill_id, a.column1 FROM Skills s, (VALUES
    ('prioritisation'),
    ('prioritization'),
    ('prioritise'),
    ('prioritize'),
    ('prioritising'),
    ('prioritizing'),
    ('trade-offs'),
    ('tradeoffs'),
    ('trade offs'),
    ('backlog management'),
    ('backlog grooming'),
    ('rice framework'),
    ('moscow method'),
    ('ruthless focus'),
    ('opportunity cost'),
    ('what not to build'),
    ('scope trade-off')
) AS a WHERE s.skill_name = 'Prioritization';
