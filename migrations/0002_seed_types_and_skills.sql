-- Seed data of the plan (§5): its four interview types, its thirteen skills and its
-- suggested-skill links. Links join on names, never on guessed auto-increment ids.

INSERT INTO Interview_Types (type_name, description) VALUES
('Technical', 'Assesses technical knowledge and problem-solving abilities in a specific domain.'),
('Behavioral', 'Assesses soft skills, past experiences, and situational judgment.'),
('System Design', 'Focuses on designing complex systems and architectural trade-offs.'),
('Product Sense', 'Assesses understanding of product development, user needs, and market fit.');

INSERT INTO Skills (skill_name, description) VALUES
('JavaScript', 'Proficiency in JavaScript programming language and its ecosystem.'),
('Python', 'Proficiency in Python programming language and its ecosystem.'),
('Java', 'Proficiency in Java programming language and its ecosystem.'),
('Go', 'Proficiency in Go programming language and its ecosystem.'),
('Problem Solving', 'Ability to analyze problems and devise effective solutions.'),
('Communication', 'Ability to articulate thoughts clearly and effectively.'),
('Teamwork', 'Ability to collaborate effectively with others in a team setting.'),
('System Architecture', 'Knowledge of designing and implementing scalable and robust system architectures.'),
('Algorithms & Data Structures', 'Understanding of fundamental algorithms and data structures.'),
('Databases (SQL)', 'Knowledge of SQL and relational database concepts.'),
('Databases (NoSQL)', 'Knowledge of NoSQL database concepts and systems.'),
('API Design', 'Ability to design clean, efficient, and maintainable APIs.'),
('Leadership', 'Ability to guide, motivate, and manage individuals or teams.');

INSERT INTO Interview_Type_Suggested_Skills (interview_type_id, skill_id)
SELECT t.interview_type_id, s.skill_id
FROM (VALUES
    ('Technical', 'JavaScript'),
    ('Technical', 'Python'),
    ('Technical', 'Problem Solving'),
    ('Technical', 'Algorithms & Data Structures'),
    ('Behavioral', 'Communication'),
    ('Behavioral', 'Teamwork'),
    ('Behavioral', 'Leadership'),
    ('System Design', 'System Architecture'),
    ('System Design', 'Databases (SQL)'),
    ('System Design', 'Databases (NoSQL)'),
    ('System Design', 'API Design')
) AS link
JOIN Interview_Types t ON t.type_name = link.column1
JOIN Skills s ON s.skill_name = link.column2;
